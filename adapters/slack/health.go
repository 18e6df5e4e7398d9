package slack

// Ready reports whether the adapter can take events now: Socket Mode
// connected, or HTTP mode serving after auth.test succeeded. The string
// says how it is connected; the error says why it is not. It is safe to
// call from any goroutine at any time, also before Run.
func (a *Adapter) Ready() (string, error) { return a.conn.Ready() }
