package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is config.toml. Every key is optional; environment variables
// (KNOOP_…) override the file, and the file overrides the defaults.
type Config struct {
	Database struct {
		URL      string `toml:"url"`
		MaxConns int32  `toml:"max_conns"`
	} `toml:"database"`
	Network struct {
		Timezone string `toml:"timezone"`
		Language string `toml:"language"`
	} `toml:"network"`
	Log struct {
		Level  string `toml:"level"`
		Format string `toml:"format"`
	} `toml:"log"`
	Console struct {
		Coordinator bool `toml:"coordinator"`
	} `toml:"console"`
}

func defaultConfig() Config {
	var c Config
	c.Database.MaxConns = 16
	c.Network.Timezone = "Europe/Amsterdam"
	c.Network.Language = "en"
	c.Log.Level = "info"
	c.Log.Format = "text"
	c.Console.Coordinator = true
	return c
}

// loadConfig reads path (if it exists, or must exist when required),
// rejecting unknown keys, then applies environment overrides and checks
// the result.
func loadConfig(path string, required bool, env func(string) string) (Config, error) {
	c := defaultConfig()
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		switch {
		case errors.Is(err, os.ErrNotExist) && !required:
		case err != nil:
			return c, fmt.Errorf("config %s: %w", path, err)
		default:
			if und := md.Undecoded(); len(und) > 0 {
				keys := make([]string, len(und))
				for i, k := range und {
					keys[i] = k.String()
				}
				sort.Strings(keys)
				return c, fmt.Errorf("config %s: unknown keys: %s", path, strings.Join(keys, ", "))
			}
		}
	}
	if err := c.applyEnv(env); err != nil {
		return c, err
	}
	return c, c.validate()
}

func (c *Config) applyEnv(env func(string) string) error {
	if v := env("KNOOP_DATABASE_URL"); v != "" {
		c.Database.URL = v
	}
	if v := env("KNOOP_DATABASE_MAX_CONNS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return fmt.Errorf("KNOOP_DATABASE_MAX_CONNS: %w", err)
		}
		c.Database.MaxConns = int32(n)
	}
	if v := env("KNOOP_NETWORK_TIMEZONE"); v != "" {
		c.Network.Timezone = v
	}
	if v := env("KNOOP_NETWORK_LANGUAGE"); v != "" {
		c.Network.Language = v
	}
	if v := env("KNOOP_LOG_LEVEL"); v != "" {
		c.Log.Level = v
	}
	if v := env("KNOOP_LOG_FORMAT"); v != "" {
		c.Log.Format = v
	}
	return nil
}

func (c *Config) validate() error {
	var errs []error
	if c.Database.MaxConns < 1 || c.Database.MaxConns > 1000 {
		errs = append(errs, fmt.Errorf("database.max_conns must be 1..1000, got %d", c.Database.MaxConns))
	}
	if _, err := time.LoadLocation(c.Network.Timezone); err != nil || c.Network.Timezone == "" || c.Network.Timezone == "Local" {
		errs = append(errs, fmt.Errorf("network.timezone %q is not a timezone name like Europe/Amsterdam", c.Network.Timezone))
	}
	if c.Network.Language != "en" && c.Network.Language != "nl" {
		errs = append(errs, fmt.Errorf("network.language must be \"en\" or \"nl\", got %q", c.Network.Language))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level must be debug, info, warn or error, got %q", c.Log.Level))
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, fmt.Errorf("log.format must be text or json, got %q", c.Log.Format))
	}
	return errors.Join(errs...)
}
