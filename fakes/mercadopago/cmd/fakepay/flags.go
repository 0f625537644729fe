package main

import (
	"errors"
	"flag"
	"io"
)

// newFlagSet returns a silent flag set: run reports errors itself, on
// one line.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseInterleaved parses args, letting flags come before, between or
// after the positional arguments, which it returns in order. The standard
// flag package stops at the first positional argument, so parsing resumes
// after each one.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// flagError turns the flag package's complaints into usage errors, and
// leaves ErrHelp as it is.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usagef("%s", err.Error())
}
