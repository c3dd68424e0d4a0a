package durable

import "golang.org/x/tools/go/ssa"

// controlDependence computes, for every block of fn, the branches (If
// blocks and their successor) that decide whether it runs: block b depends
// on the edge a->s when b post-dominates s but not a (Ferrante, Ottenstein
// and Warren). go/ssa gives dominators only, so post-dominators are
// computed here on the reversed control-flow graph, with a virtual exit
// after every block that returns or panics (Cooper, Harvey and Kennedy's
// iterative algorithm). ok is false when a block cannot reach the exit (a
// loop without a way out): post-dominance is undefined there, and the
// function's slice is not trusted.
func controlDependence(fn *ssa.Function) (map[*ssa.BasicBlock][]branch, bool) {
	n := len(fn.Blocks)
	exit := n
	// preds in the reversed graph are the successors in the CFG.
	rsucc := make([][]int, n+1) // reversed edges: from a node to its CFG predecessors
	for _, b := range fn.Blocks {
		if len(b.Succs) == 0 {
			rsucc[exit] = append(rsucc[exit], b.Index)
		}
		for _, p := range b.Preds {
			rsucc[b.Index] = append(rsucc[b.Index], p.Index)
		}
	}
	// Reverse postorder of the reversed graph, from the exit.
	order := make([]int, 0, n+1)
	seen := make([]bool, n+1)
	var dfs func(v int)
	dfs = func(v int) {
		seen[v] = true
		for _, w := range rsucc[v] {
			if !seen[w] {
				dfs(w)
			}
		}
		order = append(order, v)
	}
	dfs(exit)
	ok := true
	for i := 0; i < n; i++ {
		if !seen[i] {
			ok = false
		}
	}
	rpo := make([]int, n+1)
	for i := range rpo {
		rpo[i] = -1
	}
	for i, v := range order {
		rpo[v] = len(order) - 1 - i
	}
	// rpred: predecessors in the reversed graph are CFG successors (and
	// the exit for returning blocks).
	rpred := func(v int) []int {
		if v == exit {
			return nil
		}
		b := fn.Blocks[v]
		if len(b.Succs) == 0 {
			return []int{exit}
		}
		out := make([]int, len(b.Succs))
		for i, s := range b.Succs {
			out[i] = s.Index
		}
		return out
	}
	ipdom := make([]int, n+1)
	for i := range ipdom {
		ipdom[i] = -1
	}
	ipdom[exit] = exit
	intersect := func(x, y int) int {
		for x != y {
			for rpo[x] > rpo[y] {
				x = ipdom[x]
			}
			for rpo[y] > rpo[x] {
				y = ipdom[y]
			}
		}
		return x
	}
	for changed := true; changed; {
		changed = false
		for i := len(order) - 1; i >= 0; i-- {
			v := order[i]
			if v == exit {
				continue
			}
			nd := -1
			for _, p := range rpred(v) {
				if ipdom[p] == -1 {
					continue
				}
				if nd == -1 {
					nd = p
				} else {
					nd = intersect(p, nd)
				}
			}
			if nd != -1 && ipdom[v] != nd {
				ipdom[v] = nd
				changed = true
			}
		}
	}
	ctl := map[*ssa.BasicBlock][]branch{}
	if !ok {
		return ctl, false
	}
	for _, a := range fn.Blocks {
		if len(a.Succs) < 2 {
			continue
		}
		for si, s := range a.Succs {
			for r := s.Index; r != ipdom[a.Index] && r != exit && r != -1; r = ipdom[r] {
				b := fn.Blocks[r]
				ctl[b] = append(ctl[b], branch{block: a, succ: si})
			}
		}
	}
	return ctl, true
}
