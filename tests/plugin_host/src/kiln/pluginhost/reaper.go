package main

// Last-resort cleanup when go-plugin's Kill() hangs. Kill() waits until the
// plugin's stderr pipe closes, so a process the plugin left behind (holding
// the pipe) or a plugin that never answers the Shutdown RPC blocks it for
// ever. The host makes itself a child subreaper, so such orphans stay its
// descendants and can be found and killed; the plugin sees nothing of this.

import (
	"bytes"
	"fmt"
	"io/ioutil"
	"os"
	"strconv"
	"syscall"
)

const prSetChildSubreaper = 36 // linux/prctl.h

// becomeSubreaper makes orphaned descendants re-parent to this process.
func becomeSubreaper() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return errno
	}
	return nil
}

// killDescendants SIGKILLs every live descendant of this process and
// returns how many it signalled.
func killDescendants() int {
	children := map[int][]int{}
	entries, err := ioutil.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(pid); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	n := 0
	queue := append([]int{}, children[os.Getpid()]...)
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		queue = append(queue, children[pid]...)
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}

// procStat returns the fields of /proc/<pid>/stat after the command name
// (which may contain spaces and parentheses): state, ppid, ...
func procStat(pid int) ([][]byte, bool) {
	stat, err := ioutil.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, false
	}
	fields := bytes.Fields(stat[i+1:])
	if len(fields) < 2 {
		return nil, false
	}
	return fields, true
}

func parentOf(pid int) (int, bool) {
	fields, ok := procStat(pid)
	if !ok {
		return 0, false
	}
	ppid, err := strconv.Atoi(string(fields[1]))
	return ppid, err == nil
}

// processGone tells whether pid has exited. go-plugin's Exited() lags
// behind (it drains stderr before reaping), but the kernel already shows an
// exited, unreaped child as a zombie.
func processGone(pid int) bool {
	fields, ok := procStat(pid)
	if !ok {
		return true
	}
	state := fields[0]
	return len(state) == 1 && (state[0] == 'Z' || state[0] == 'X')
}
