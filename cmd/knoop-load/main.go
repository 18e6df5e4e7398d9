// Command knoop-load runs several `knoop run` replicas on one PostgreSQL
// schema in front of the project's fake Slack (and, with --matrix, a real
// Dendrite), drives commands at a fixed rate and reports throughput, reply
// latency, lost and doubled replies, errors, digests and peak memory per
// process. It is a load harness to run by hand, not a test:
//
//	go run -tags goolm ./cmd/knoop-load --replicas 3 --rate 1000 --duration 60s [--matrix] [--json]
//
// What it does, in order:
//
//  1. builds the knoop binary (or takes --knoop PATH), creates a fresh
//     schema in the test database (KNOOP_TEST_DATABASE_URL, default
//     postgres://postgres@127.0.0.1:5432/test), writes one config per
//     replica (Slack Socket Mode on the fake, its own [http] listen port,
//     with --matrix a Matrix account on Dendrite) and starts the replicas;
//  2. waits until each replica holds a Socket Mode connection (the fake
//     spreads envelopes over the connections in turn, as Slack does);
//  3. warms up: every member declares skills and an organisation; a
//     coordinator sets a weekly digest on a channel of its own, whose next
//     slot is then moved to --digest-in from the start of the load;
//  4. drives --rate commands per second for --duration over --members
//     members and --channels channels: who-questions (mentions and
//     /knoop), commits, `commitments`, `help` and `done N`, plus
//     redeliveries of some mentions (same event_id, new envelope), and
//     counts every event's replies (lost: none; doubled: more than one);
//  5. waits for the digest (exactly one post and its thread reply across
//     the replicas);
//  6. with --matrix: finds the replica holding the Matrix sync, kills it
//     (SIGKILL) and measures how long until another replica answers a new
//     question;
//  7. reads each process's peak RSS (VmHWM) and CPU time, stops the
//     replicas and prints the report (--json for JSON).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type options struct {
	replicas   int
	rate       int
	duration   time.Duration
	members    int
	channels   int
	redeliver  float64
	digestIn   time.Duration
	maxConns   int
	knoop      string
	matrix     bool
	jsonOut    bool
	keep       bool
	logLevel   string
	drain      time.Duration
	digest     bool
	profile    bool
	profileFor time.Duration
}

func main() {
	var o options
	flag.IntVar(&o.replicas, "replicas", 3, "knoop run processes")
	flag.IntVar(&o.rate, "rate", 1000, "commands per second")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "how long to drive load")
	flag.IntVar(&o.members, "members", 200, "members sending commands")
	flag.IntVar(&o.channels, "channels", 4, "channels the commands are sent in")
	flag.Float64Var(&o.redeliver, "redeliver", 0.02, "fraction of mentions Slack delivers a second time (same event_id, new envelope)")
	flag.DurationVar(&o.digestIn, "digest-in", 20*time.Second, "a digest slot falls this long after the load starts")
	flag.IntVar(&o.maxConns, "max-conns", 16, "database connections per replica ([database] max_conns)")
	flag.StringVar(&o.knoop, "knoop", "", "knoop binary to run (default: build ./cmd/knoop with -tags goolm)")
	flag.BoolVar(&o.matrix, "matrix", false, "also start Dendrite, give the replicas a Matrix account and measure the sync takeover after a SIGKILL")
	flag.BoolVar(&o.jsonOut, "json", false, "print the report as JSON")
	flag.BoolVar(&o.keep, "keep", false, "keep the schema, configs and replica logs")
	flag.StringVar(&o.logLevel, "log-level", "info", "the replicas' log level")
	flag.DurationVar(&o.drain, "drain", 30*time.Second, "how long to wait for the last replies after the load")
	flag.BoolVar(&o.digest, "digest", true, "schedule a digest and wait for it (up to 75 s after its slot)")
	flag.BoolVar(&o.profile, "profile", false, "instead of the mixed load: drive each command kind alone (help, commitments, who, commit, done) for --profile-for at --rate and print its cost per command: statements, round trips, CPU of knoop and of PostgreSQL, bytes over Socket Mode and the Web API")
	flag.DurationVar(&o.profileFor, "profile-for", 10*time.Second, "how long --profile drives each command kind")
	flag.Parse()
	if flag.NArg() > 0 || o.replicas < 1 || o.rate < 1 || o.duration <= 0 || o.members < 2 || o.channels < 1 ||
		o.redeliver < 0 || o.redeliver > 1 || o.maxConns < 1 {
		fmt.Fprintln(os.Stderr, "knoop-load: bad flags (see -h)")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	r := newRunner(ctx, o.keep)
	rep, err := r.run(func() (*report, error) { return runLoad(ctx, r, o) })
	stop()
	if rep != nil {
		if o.profile {
			fmt.Printf("knoop-load --profile %s: %d replicas, %d commands/s for %s per kind; %d CPUs, load average before %s\n",
				rep.Started, o.replicas, o.rate, o.profileFor, rep.CPUs, rep.LoadAverage)
			printProfile(os.Stdout, rep.Profile, o.jsonOut)
		} else if o.jsonOut {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(rep)
		} else {
			rep.print(os.Stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "knoop-load: %v\n", err)
		os.Exit(1)
	}
	if rep != nil && !rep.Pass {
		os.Exit(3)
	}
}

// runLoad is the whole run; r's cleanups stop what it started.
func runLoad(ctx context.Context, r *runner, o options) (*report, error) {
	rep := &report{Replicas: o.replicas, TargetRate: o.rate, Duration: o.duration.String(), Members: o.members,
		Channels: o.channels, CPUs: numCPU(), LoadAverage: loadAverage(), Started: time.Now().UTC().Format(time.RFC3339)}

	bin, err := knoopBinary(r, o.knoop)
	if err != nil {
		return nil, err
	}
	env, err := newEnvironment(r, o)
	if err != nil {
		return nil, err
	}
	if err := env.startReplicas(bin); err != nil {
		return nil, err
	}
	r.Logf("%d replicas connected to the fake Slack", o.replicas)

	d := newDriver(env, o)
	if err := d.warmUp(ctx); err != nil {
		return rep, err
	}
	if o.profile {
		rows, err := profile(ctx, env, d)
		rep.Profile = rows
		rep.Pass = err == nil && len(rows) == len(profilePhases)
		return rep, err
	}
	if o.digest {
		if err := env.scheduleDigest(ctx, time.Now().Add(o.digestIn)); err != nil {
			return rep, err
		}
	}
	cpu0 := readCPU()
	if err := d.drive(ctx); err != nil {
		return rep, err
	}
	d.waitReplies(ctx, o.drain)
	rep.MachineBusy = busyShare(cpu0, readCPU())
	d.fill(rep)

	if o.digest {
		rep.Digest = env.waitDigest(ctx, d)
	}
	for _, p := range env.replicas {
		rep.Processes = append(rep.Processes, p.stats())
	}
	if o.matrix {
		rep.Matrix = env.takeover(ctx)
		for i, p := range env.replicas {
			if s := p.stats(); s.PeakRSSMB > 0 {
				rep.Processes[i] = s // the survivors' figures include the takeover
			}
		}
	}
	rep.Errors.LogErrors = env.stopReplicas()
	for i, p := range env.replicas {
		rep.Processes[i].ErrorLines = p.errorLines
	}
	rep.judge(o)
	if ctx.Err() != nil {
		return rep, errors.New("interrupted")
	}
	return rep, nil
}
