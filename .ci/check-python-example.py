#!/usr/bin/env python3
"""Checks Python example apps against the names the jsii Python bindings really have.

    check-python-example.py BINDING_DIR AWS_CDK_LIB_DIR APP.py...

BINDING_DIR is jsii-pacmak's Python output for this library (`.tmp/bindings/python`). Every import
from this library must name a class of the generated module, and every call of one of its classes or
methods must use keyword arguments that the generated signature has. Names from `aws_cdk` are
checked the same way against aws-cdk-lib's jsii assembly (AWS_CDK_LIB_DIR/.jsii), with jsii's Python
naming rules: generating all of aws-cdk-lib's bindings would take far longer than the check.

No package is installed and nothing runs: pip cannot reach PyPI here, and the apps need AWS CDK's
runtime to synthesize. Exits 1 and lists every mismatch.
"""
import ast
import gzip
import json
import os
import re
import sys


def snake(name):
    """jsii's camelCase -> snake_case for Python parameters, properties and methods."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


class Signature:
    def __init__(self, positional, keywords, var_keywords=False):
        self.positional = positional  # names, in order
        self.keywords = set(keywords)  # names accepted as keyword arguments
        self.var_keywords = var_keywords


# --- this library: the generated Python module, read with ast ------------------------------------

def load_binding(binding_dir):
    src = os.path.join(binding_dir, "src")
    modules = [d for d in os.listdir(src) if os.path.isfile(os.path.join(src, d, "__init__.py"))]
    if len(modules) != 1:
        sys.exit(f"expected one Python module in {src}, found {modules}")
    module = modules[0]
    tree = ast.parse(open(os.path.join(src, module, "__init__.py"), encoding="utf-8").read())
    classes = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
            continue
        members = {}
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                args = item.args
                positional = [a.arg for a in args.posonlyargs + args.args]
                if positional and positional[0] in ("self", "cls"):
                    positional = positional[1:]
                keywords = [a.arg for a in args.args + args.kwonlyargs if a.arg not in ("self", "cls")]
                members[item.name] = Signature(positional, keywords, args.kwarg is not None)
        classes[node.name] = members
    return module, classes


# --- aws-cdk-lib: its jsii assembly ---------------------------------------------------------------

def load_assembly(package_dir):
    path = os.path.join(package_dir, ".jsii")
    data = json.load(open(path, encoding="utf-8"))
    if data.get("schema") == "jsii/file-redirect":
        with gzip.open(os.path.join(package_dir, data["filename"]), "rt", encoding="utf-8") as f:
            data = json.load(f)
    return data


class Assembly:
    def __init__(self, data):
        self.types = data["types"]
        root = data["targets"]["python"]["module"]
        self.modules = {data["name"]: root}
        for fqn, sub in data.get("submodules", {}).items():
            py = sub.get("targets", {}).get("python", {}).get("module")
            self.modules[fqn] = py or f"{root}.{fqn.split('.', 1)[1]}"
        # python module -> {type name -> fqn}
        self.by_module = {}
        for fqn in self.types:
            owner = max((m for m in self.modules if fqn.startswith(m + ".")), key=len)
            name = fqn[len(owner) + 1:]
            if "." not in name:
                self.by_module.setdefault(self.modules[owner], {})[name] = fqn

    def is_struct(self, fqn):
        t = self.types.get(fqn)
        return bool(t and t["kind"] == "interface" and t.get("datatype"))

    def struct_props(self, fqn):
        t = self.types[fqn]
        props = [p["name"] for p in t.get("properties", [])]
        for base in t.get("interfaces", []):
            if base in self.types:
                props += self.struct_props(base)
        return props

    def signature(self, params):
        params = params or []
        last = params[-1] if params else None
        struct = last and last.get("type", {}).get("fqn")
        if struct and self.is_struct(struct):
            positional = [snake(p["name"]) for p in params[:-1]]
            return Signature(positional, positional + [snake(p) for p in self.struct_props(struct)])
        names = [snake(p["name"]) for p in params]
        return Signature(names, names)

    def _lineage(self, fqn):
        while fqn and fqn in self.types:
            yield self.types[fqn]
            fqn = self.types[fqn].get("base")

    def member(self, fqn, attr):
        """('method', Signature) | ('value', None) | None for Class.attr."""
        for t in self._lineage(fqn):
            for m in t.get("methods", []):
                if m.get("static") and snake(m["name"]) == attr:
                    return ("method", self.signature(m.get("parameters")))
            for p in t.get("properties", []):
                if p.get("static") and (p["name"] == attr or snake(p["name"]) == attr):
                    return ("value", None)
            for member in t.get("members", []):  # enums
                if member["name"] == attr:
                    return ("value", None)
        return None

    def initializer(self, fqn):
        t = self.types[fqn]
        if self.is_struct(fqn):
            props = [snake(p) for p in self.struct_props(fqn)]
            return Signature([], props)
        for t in self._lineage(fqn):
            if "initializer" in t:
                return self.signature(t["initializer"].get("parameters"))
        return Signature([], [])


# --- the examples -----------------------------------------------------------------------------------

def check_call(errors, where, label, signature, call):
    if signature.var_keywords:
        return
    if len(call.args) > len(signature.positional):
        errors.append(f"{where}: {label} takes at most {len(signature.positional)} positional arguments, got {len(call.args)}")
    for kw in call.keywords:
        if kw.arg is not None and kw.arg not in signature.keywords:
            errors.append(f"{where}: {label} has no keyword argument '{kw.arg}' (it takes: {', '.join(sorted(signature.keywords))})")


def check_app(path, module, binding, cdk):
    errors = []
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    names = {}  # local name -> ('lib', class) | ('cdk', fqn)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            where = f"{path}:{node.lineno}"
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == module:
                    if alias.name not in binding:
                        errors.append(f"{where}: {module} has no class '{alias.name}'")
                    names[local] = ("lib", alias.name)
                elif node.module.split(".")[0] == "aws_cdk":
                    fqn = cdk.by_module.get(node.module, {}).get(alias.name)
                    if fqn is None and f"{node.module}.{alias.name}" not in cdk.by_module:
                        errors.append(f"{where}: {node.module} has no '{alias.name}'")
                    elif fqn:
                        names[local] = ("cdk", fqn)

    calls = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{path}:{node.lineno}"
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            calls.add(id(func))
            kind, target = names[func.id]
            if kind == "lib":
                if "__init__" in binding.get(target, {}):
                    check_call(errors, where, target, binding[target]["__init__"], node)
            else:
                check_call(errors, where, func.id, cdk.initializer(target), node)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in names:
            calls.add(id(func))
            kind, target = names[func.value.id]
            label = f"{func.value.id}.{func.attr}"
            if kind == "lib":
                member = binding.get(target, {}).get(func.attr)
                if member is None:
                    errors.append(f"{where}: {target} has no method '{func.attr}'")
                else:
                    check_call(errors, where, label, member, node)
            else:
                member = cdk.member(target, func.attr)
                if member is None or member[0] != "method":
                    errors.append(f"{where}: {func.value.id} has no static method '{func.attr}'")
                else:
                    check_call(errors, where, label, member[1], node)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and id(node) not in calls and isinstance(node.value, ast.Name)
                and names.get(node.value.id, ("", ""))[0] == "cdk"):
            if cdk.member(names[node.value.id][1], node.attr) is None:
                errors.append(f"{path}:{node.lineno}: {node.value.id} has no static member '{node.attr}'")
    return errors, sum(1 for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n.func) in calls)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    module, binding = load_binding(argv[1])
    cdk = Assembly(load_assembly(argv[2]))
    failed = False
    for app in argv[3:]:
        errors, checked = check_app(app, module, binding, cdk)
        uses_library = any(isinstance(n, ast.ImportFrom) and n.module == module
                           for n in ast.walk(ast.parse(open(app, encoding="utf-8").read())))
        if not uses_library:
            errors.append(f"{app}: does not import {module}")
        for error in errors:
            print(f"ERROR {error}")
        failed = failed or bool(errors)
        print(f"{app}: {checked} calls checked against the Python bindings, {len(errors)} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
