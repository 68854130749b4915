// pprof_fixture writes a CPU profile and a heap profile of its own work with
// runtime/pprof, for Kiln's end-to-end test against `go tool pprof`.
// Standard library only: the test builds it offline.
//
// Usage: pprof_fixture OUT_DIR  (writes OUT_DIR/cpu.pb.gz and OUT_DIR/heap.pb.gz)
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"time"
)

var retained [][]byte

// fib recurses, so CPU samples have deep stacks that share prefixes.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func sortWork(n int) int {
	s := make([]int, n)
	for i := range s {
		s[i] = (i * 7919) % n
	}
	sort.Ints(s)
	return s[n/2]
}

func burn(d time.Duration, work func() int) int {
	sum := 0
	for start := time.Now(); time.Since(start) < d; {
		sum += work()
	}
	return sum
}

func allocSmall() {
	for i := 0; i < 2000; i++ {
		retained = append(retained, make([]byte, 256))
	}
}

func allocLarge() {
	for i := 0; i < 64; i++ {
		retained = append(retained, make([]byte, 64<<10))
	}
}

func run(dir string) error {
	runtime.MemProfileRate = 4096
	cpu, err := os.Create(dir + "/cpu.pb.gz")
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return err
	}
	sum := 0
	// Labeled work gives the CPU profile sample labels.
	pprof.Do(context.Background(), pprof.Labels("handler", "fib"), func(context.Context) {
		sum += burn(600*time.Millisecond, func() int { return fib(24) })
	})
	pprof.Do(context.Background(), pprof.Labels("handler", "sort"), func(context.Context) {
		sum += burn(300*time.Millisecond, func() int { return sortWork(20000) })
	})
	done := make(chan int)
	go func() { done <- burn(300*time.Millisecond, func() int { return fib(20) }) }()
	sum += <-done
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		return err
	}

	allocSmall()
	allocLarge()
	runtime.GC()
	heap, err := os.Create(dir + "/heap.pb.gz")
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(heap, 0); err != nil {
		return err
	}
	fmt.Println("work", sum, "retained", len(retained))
	return heap.Close()
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pprof_fixture OUT_DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "pprof_fixture:", err)
		os.Exit(1)
	}
}
