// Package helpers is code orchestrators of other packages reach. It has no
// orchestrator, so nothing here is reported; what reaches a hazard carries
// a fact.
package helpers

import (
	"math/rand"
	"os"
	"path/filepath"
	"time"
)

// Stamp reaches the clock through an unexported helper.
func Stamp() string { // want Stamp:`^reaches nondeterministic-time: helpers\.stamp -> time\.Now$`
	return stamp()
}

func stamp() string {
	return time.Now().Format(time.Kitchen)
}

// Store keeps plans on disk.
type Store struct {
	Dir string
}

// Save writes a plan.
func (s *Store) Save(plan string) error { // want Save:`^reaches io: os\.WriteFile$`
	return os.WriteFile(filepath.Join(s.Dir, "plan.txt"), []byte(plan), 0o644)
}

// Quiet reads settings fixed for the app's lifetime.
//
//dfversion:ignore env-read the settings never change while instances run
func Quiet() string {
	return os.Getenv("A")
}

// Pure reaches nothing.
func Pure(x int) int {
	return x * 2
}

// Dice has a directive without a reason: it silences nothing.
func Dice() int { // want Dice:`^reaches ignore-directive: //dfversion:ignore; random: rand\.Intn$`
	//dfversion:ignore random
	return rand.Intn(6)
}
