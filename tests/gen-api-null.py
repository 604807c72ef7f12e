#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the calls of tests/test-api-null.c from lib/tdxsim.sym.

For every exported function (its prototype read from include/tdxsim/*.h):
  - one call with every pointer NULL and every number 0 (lengths too);
  - one call per pointer parameter with that one NULL and every other a
    valid value (objects from tests/test-api-null.c's struct api_objects,
    a zeroed buffer for plain data, "" for strings, 0 for numbers).
A parameter whose @param text mentions NULL is optional; any other is
required, and a call with a required pointer NULL must give -EINVAL (int
functions; 0 for predicates, whose @return starts "1 when" and names no
errno), NULL (pointer functions), an error status (functions returning
a TDX status word, whose 0 is SUCCESS) or 0 (other number functions).

The build fails when a symbol has no prototype or a parameter type is
unknown here: a new function cannot be left out of the test. It also fails
for a function returning char *: strings are borrowed or written into the
caller's buffer, never handed over for the caller to free.

Usage: gen-api-null.py SYMFILE HEADER_DIR OUTPUT
"""
import glob
import os
import re
import sys

# Opaque objects: the api_objects member holding a valid one.
OBJECTS = {
    "platform", "diag", "layout", "module", "host_run", "linux_mm",
    "mtrr_bank", "linux_guest", "mmio_handler", "td", "vmm", "scenario",
}
SCALARS = {"int", "unsigned", "size_t", "uint32_t", "uint64_t"}
BUFFERS = {"void *", "const void *", "const uint8_t *", "char *"}


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def prototypes(header_dir):
    """name -> (return type, [(type, name)], {param: doc})"""
    found = {}
    for path in sorted(glob.glob(os.path.join(header_dir, "*.h"))):
        text = open(path).read()
        # Doc comment + declaration pairs, for the @param notes.
        for m in re.finditer(r"/\*\*(.*?)\*/\s*([^;{}]*?\b(tdxsim_\w+)\s*\([^;{}]*?\)[^;{}]*;)",
                             text, flags=re.S):
            docs = {}
            for p in re.finditer(r"@param\s+(\w+)\s+(.*?)(?=@param|@return|$)", m.group(1), re.S):
                docs[p.group(1)] = " ".join(p.group(2).split())
            r = re.search(r"@return\s+(.*?)(?=@param|$)", m.group(1), re.S)
            found.setdefault(m.group(3), {}).update(
                docs=docs, returns=" ".join(r.group(1).split()) if r else "")
        code = re.sub(r"^\s*#[^\n]*", "", strip_comments(text), flags=re.M)
        for m in re.finditer(r"([A-Za-z_][\w\s\*]*?)\b(tdxsim_\w+)\s*\(([^;{}]*?)\)\s*"
                             r"(?:__attribute__\s*\(\(.*?\)\)\s*)?;", code, flags=re.S):
            ret = " ".join(m.group(1).split())
            if ret.startswith("typedef"):
                continue
            params = []
            for a in m.group(3).split(","):
                a = " ".join(a.split())
                if a in ("void", ""):
                    continue
                pm = re.match(r"(.*?)(\w+)$", a)
                params.append((pm.group(1).strip(), pm.group(2)))
            found.setdefault(m.group(2), {}).update(ret=ret, params=params)
    return found


def object_name(ctype):
    m = re.match(r"(?:const )?struct tdxsim_(\w+) \*$", ctype)
    return m.group(1) if m and m.group(1) in OBJECTS else None


def out_object(ctype):
    m = re.match(r"struct tdxsim_(\w+) \*\*$", ctype)
    return m.group(1) if m and m.group(1) in OBJECTS else None


def valid_value(ctype, sym):
    """A C expression of a valid argument of ctype, or None if unknown."""
    if ctype in SCALARS or ctype.startswith("enum ") and not ctype.endswith("*"):
        return "0" if ctype in SCALARS else "(%s)0" % ctype
    obj = object_name(ctype)
    if obj:
        return "o->" + obj
    obj = out_object(ctype)
    if obj:
        return "&o->out_" + obj
    if ctype == "FILE *":
        return "o->file"
    if ctype == "const char *":
        return '""'
    if ctype == "tdxsim_tdvmcall_fn":
        return "NULL"
    if re.match(r"struct tdxsim_\w+$", ctype):
        return "(%s){ 0 }" % ctype
    if ctype.endswith("*"):
        return "(%s)(void *)o->buf.bytes" % ctype
    return None


def null_value(ctype):
    if ctype.endswith("*") or ctype == "tdxsim_tdvmcall_fn":
        return "NULL"
    return None


def check_line(ret, sym, returns):
    """The assertion on the result when a required pointer is NULL."""
    if ret == "uint64_t" and "TDXSIM_TDX_" in returns:
        # A TDX status word: 0 is SUCCESS, so a NULL must be an error.
        return "\tapi_expect_error_status(\"%s\", k, (%%s));\n" % sym
    if ret == "void":
        return "\t(%s);\n"
    if ret == "int" and returns.startswith("1 when") and "errno" not in returns \
            and "-E" not in returns:
        # A predicate: -EINVAL would read as true in "if (f(...))".
        return "\tapi_expect_int(\"%s\", k, (%%s), 0);\n" % sym
    if ret == "int":
        return "\tapi_expect_int(\"%s\", k, (%%s), -EINVAL);\n" % sym
    if ret.endswith("*"):
        return "\tapi_expect_ptr(\"%s\", k, (%%s));\n" % sym
    return "\tapi_expect_zero(\"%s\", k, (uint64_t)(%%s));\n" % sym


def owner_free(ret):
    """How to free a result the caller owns, or None."""
    m = re.match(r"struct tdxsim_(\w+) \*$", ret)
    return "tdxsim_%s_free" % m.group(1) if m and m.group(1) in OBJECTS else None


def emit_call(out, sym, p, args, required_null, k):
    ret = p["ret"]
    call = "%s(%s)" % (sym, ", ".join(args))
    release = owner_free(ret)
    out.write("static void\ncall_%s_%d(struct api_objects *o)\n{\n" % (sym, k))
    out.write("\tconst int k = %d;\n" % k)
    if release:
        out.write("\t%s owned = %s;\n" % (ret, call))
        call = "owned"
    out.write("\n\t(void)o;\n\t(void)k;\n")
    if required_null:
        out.write(check_line(ret, sym, p.get("returns", "")) % call)
    else:
        out.write("\t(void)%s;\n" % call)
    if release:
        out.write("\t%s(owned);\n" % release)
    out.write("\tapi_release_outs(o);\n}\n\n")


def generate(symfile, header_dir, output):
    syms = [l.strip().rstrip(";") for l in open(symfile)
            if l.strip().startswith("tdxsim_")]
    protos = prototypes(header_dir)
    errors, table = [], []
    with open(output + ".tmp", "w") as out:
        out.write("/* Generated by tests/gen-api-null.py from lib/tdxsim.sym: do not edit. */\n\n")
        for sym in syms:
            p = protos.get(sym)
            if not p or "params" not in p:
                errors.append("%s: no prototype in %s" % (sym, header_dir))
                continue
            if p["ret"] == "char *":
                # One ownership rule for strings (docs/architecture.md).
                errors.append("%s: returns char *, memory for the caller to free; "
                              "return a borrowed const char * or write into the "
                              "caller's buffer" % sym)
                continue
            docs = p.get("docs", {})
            params = p["params"]
            valid = [valid_value(t, sym) for t, _ in params]
            if None in valid:
                errors.append("%s: unknown parameter type %r" % (sym, params[valid.index(None)][0]))
                continue
            # A data buffer followed by its length is optional at length 0
            # (the lengths here are 0), as for memcpy().
            optional = ["NULL" in docs.get(n, "") or
                        (t in BUFFERS and i + 1 < len(params) and params[i + 1][0] == "size_t")
                        for i, (t, n) in enumerate(params)]
            pointers = [i for i, (t, _) in enumerate(params) if null_value(t)]
            # Variant 0: every pointer NULL, every number 0.
            args0 = [null_value(t) or ("0" if t in SCALARS else valid[i])
                     for i, (t, _) in enumerate(params)]
            required = any(not optional[i] for i in pointers)
            emit_call(out, sym, p, args0, required, 0)
            table.append((sym, 0, "all NULL"))
            if sym.endswith("_free"):
                continue    # the others would free a shared object
            for k, i in enumerate(pointers, start=1):
                args = list(valid)
                args[i] = "NULL"
                if args == args0:
                    continue    # the same call as variant 0
                emit_call(out, sym, p, args, not optional[i], k)
                table.append((sym, k, params[i][1] + " NULL"))
        out.write("static const struct api_call api_calls[] = {\n")
        for sym, k, what in table:
            out.write("\t{ \"%s\", \"%s\", call_%s_%d },\n" % (sym, what, sym, k))
        out.write("};\n")
    if errors:
        os.unlink(output + ".tmp")
        sys.exit("gen-api-null.py:\n  " + "\n  ".join(errors))
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    generate(sys.argv[1], sys.argv[2], sys.argv[3])
