package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdRoutes builds the app whose module is DIR, starts it on a free
// loopback port with the stand-in runtime, and invokes routes: an
// orchestrator (NAME) is run once without input and prints the durable
// calls it makes; an activity (NAME=JSON) is invoked with JSON as its
// input and prints its return value. One line each:
//
//	routes app ProcessOrder ProcessOrder_v2 'Charge={"items":2}'
//
// prints
//
//	ProcessOrder: activity Charge
//	ProcessOrder_v2: activity RequestApproval_v2, activity Charge_v2
//	Charge: {"items":2}
func cmdRoutes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: routes DIR NAME[=JSON]...")
	}
	dir := ts.MkAbs(args[0])
	bin := filepath.Join(ts.MkAbs("."), ".routes-app")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = os.Environ()
	for _, key := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN"} {
		build.Env = append(build.Env, key+"="+ts.Getenv(key))
	}
	if out, err := build.CombinedOutput(); err != nil {
		ts.Fatalf("go build: %v\n%s", err, out)
	}
	defer os.Remove(bin)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, bin)
	app.Dir = dir
	app.Env = append(os.Environ(), "FUNCTIONS_CUSTOMHANDLER_PORT="+strconv.Itoa(port))
	ts.Check(app.Start())
	defer func() {
		_ = app.Process.Kill()
		_ = app.Wait()
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(20 * time.Second); ; {
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			ts.Fatalf("the app did not listen within 20s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, arg := range args[1:] {
		name, input, activity := strings.Cut(arg, "=")
		binding, value := "context", `{"instanceId": "routes-1", "input": null, "isReplaying": false, "history": []}`
		if activity {
			binding, value = "input", input
		}
		body := fmt.Sprintf(`{"Data": {%q: %s}, "Metadata": {"sys": {"MethodName": %q}}}`, binding, value, name)
		resp, err := http.Post(base+"/"+name, "application/json", strings.NewReader(body))
		ts.Check(err)
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		ts.Check(err)
		if resp.StatusCode != http.StatusOK {
			ts.Fatalf("POST /%s: status %d: %s", name, resp.StatusCode, data)
		}
		var out struct {
			ReturnValue json.RawMessage `json:"ReturnValue"`
		}
		if err := json.Unmarshal(data, &out); err != nil {
			ts.Fatalf("POST /%s: %v: %s", name, err, data)
		}
		if activity {
			fmt.Fprintf(ts.Stdout(), "%s: %s\n", name, out.ReturnValue)
			continue
		}
		var a struct {
			Calls []struct{ Kind, Name string }
			Error string
		}
		if err := json.Unmarshal(out.ReturnValue, &a); err != nil {
			ts.Fatalf("POST /%s: no call list: %s", name, out.ReturnValue)
		}
		var calls []string
		for _, c := range a.Calls {
			calls = append(calls, strings.TrimSpace(c.Kind+" "+c.Name))
		}
		line := name + ": " + strings.Join(calls, ", ")
		if a.Error != "" {
			line += " (error: " + a.Error + ")"
		}
		fmt.Fprintln(ts.Stdout(), line)
	}
}
