package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// Command-line mistakes get one line that names the mistake as the user
// typed it and, where one is close, what they probably meant:
//
//	dfversion bmup            -> unknown command "bmup"; did you mean "bump"?
//	dfversion bump --dryrun   -> unknown flag --dryrun; did you mean --dry-run?
//	dfversion prune --keep    -> flag --keep needs a value
//
// Go's flag package, which urfave/cli parses with, names every flag with
// one dash ("flag provided but not defined: -dryrun"); the user's own
// spelling is found again in the arguments. Suggestions use urfave/cli's
// own hooks (cli.SuggestCommand, and cli.SuggestFlag's distance), with a
// threshold so that a far-off word suggests nothing.

// suggestThreshold is the Jaro-Winkler similarity below which nothing is
// suggested: "bmup" is 0.93 from "bump", "xyz" at most 0.5 from any
// command.
const suggestThreshold = 0.8

func init() {
	cli.SuggestCommand = func(commands []*cli.Command, provided string) string {
		var names []string
		for _, c := range commands {
			if !c.Hidden {
				names = append(names, c.Names()...)
			}
		}
		if name := closest(provided, names); name != "" {
			return fmt.Sprintf("did you mean %q?", name)
		}
		return ""
	}
}

// closest returns the candidate most similar to word, if it is similar
// enough, else "".
func closest(word string, candidates []string) string {
	best, bestScore := "", 0.0
	for _, c := range candidates {
		if score := smetrics.JaroWinkler(word, c, 0.7, 4); score > bestScore {
			best, bestScore = c, score
		}
	}
	if bestScore < suggestThreshold {
		return ""
	}
	return best
}

// The errors of Go's flag package that name a flag.
var (
	flagUndefined = regexp.MustCompile(`^flag provided but not defined: -(\S+)$`)
	flagNoValue   = regexp.MustCompile(`^flag needs an argument: -(\S+)$`)
	flagBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-(\S+): (.*)$`)
)

// describeFlagError rewrites an error of Go's flag package in the user's
// terms: the flag as typed (args are the command line), and the closest
// flag of the command for an unknown one. It returns err's text unchanged
// when it is not such an error.
func describeFlagError(err error, args []string, flags []cli.Flag) string {
	msg := err.Error()
	if m := flagUndefined.FindStringSubmatch(msg); m != nil {
		out := "unknown flag " + typedFlag(m[1], args)
		var names []string
		for _, f := range flags {
			names = append(names, f.Names()...)
		}
		if s := closest(m[1], names); s != "" {
			out += "; did you mean " + dashes(s) + "?"
		}
		return out
	}
	if m := flagNoValue.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("flag %s needs a value", typedFlag(m[1], args))
	}
	if m := flagBadValue.FindStringSubmatch(msg); m != nil {
		why := m[3]
		if why == "parse error" {
			why = "not a " + flagKind(m[2], flags)
		}
		return fmt.Sprintf("invalid value %q for flag %s: %s", m[1], typedFlag(m[2], args), why)
	}
	return msg
}

// flagKind says what kind of value the flag called name takes.
func flagKind(name string, flags []cli.Flag) string {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			switch f.(type) {
			case *cli.BoolFlag:
				return "boolean (true or false)"
			case *cli.IntFlag, *cli.IntSliceFlag:
				return "whole number"
			case *cli.DurationFlag:
				return "duration (30s, 5m, 1h)"
			}
		}
	}
	return "valid value"
}

// typedFlag finds how the user wrote the flag called name ("--dryrun" or
// "-dryrun", maybe with "=value"), or spells it with two dashes.
func typedFlag(name string, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		flag, _, _ := strings.Cut(a, "=")
		if strings.TrimLeft(flag, "-") == name && strings.HasPrefix(flag, "-") {
			return flag
		}
	}
	return dashes(name)
}

// dashes writes a flag name as it is written on the command line.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
