#!/usr/bin/env python3
"""Prints each generator crate's module graph (which module names which)
and every cycle between modules; exits 1 if there is one.

A module is a file under `generator/*/src`; `lib.rs` is the crate root.
An edge A -> B means A's code names `crate::B` or `super::B` (or, from a
submodule, `super::` items that live in the root). Run from the workspace.
"""
import re, sys, pathlib

def modules(src):
    mods = {}
    for f in sorted(src.glob("*.rs")):
        name = "lib" if f.stem in ("lib", "main") else f.stem
        if f.stem == "main":
            name = "main"
        mods[name] = f.read_text()
    return mods

def edges(mods):
    out = {m: set() for m in mods}
    for m, text in mods.items():
        code = "\n".join(l for l in text.splitlines() if not l.strip().startswith("//"))
        # Leave out unit tests: they may reach anywhere.
        code = code.split("#[cfg(test)]")[0]
        for other in mods:
            if other in (m, "lib", "main"):
                continue
            if re.search(rf"\b(crate|super)::{other}\b", code) or (m == "lib" and re.search(rf"\b{other}::", code)):
                out[m].add(other)
        if m not in ("lib", "main") and re.search(r"\b(crate|super)::(\{|[A-Za-z_]+\b(?!::))", code):
            # Items of the crate root (not a module path).
            for hit in re.findall(r"\b(?:crate|super)::([A-Za-z_]+)\b", code):
                if hit not in mods and hit[0].isupper() or hit in ("check_output_folder", "explorer_bundle", "static_files", "with_slash", "page_numbers"):
                    out[m].add("lib")
    return out

def cycles(graph):
    found, stack, state = [], [], {}
    def visit(n):
        state[n] = 1; stack.append(n)
        for d in sorted(graph[n]):
            if state.get(d) == 1:
                found.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop(); state[n] = 2
    for n in sorted(graph):
        if n not in state:
            visit(n)
    return found

bad = False
for src in sorted(pathlib.Path("generator").glob("*/src")):
    graph = edges(modules(src))
    print(f"{src.parent.name}:")
    for m in sorted(graph):
        if graph[m]:
            print(f"  {m} -> {', '.join(sorted(graph[m]))}")
    for c in cycles(graph):
        bad = True
        print("  CYCLE: " + " -> ".join(c))
sys.exit(1 if bad else 0)
