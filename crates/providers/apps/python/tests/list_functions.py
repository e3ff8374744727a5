"""Print the sorted JSON array of the function names this app registers.

Run as `python tests/list_functions.py` from the project root. It indexes function_app.py the
way the Python worker does (import the module, take its one top-level FunctionApp, call
get_functions()), so it proves that generated and user functions load and register together.
"""

import importlib
import json
import sys
from pathlib import Path

import azure.functions as func


def main():
    # The worker runs with the project root (the folder above tests/) on sys.path.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    module = importlib.import_module("function_app")
    apps = [value for value in vars(module).values() if isinstance(value, func.FunctionRegister)]
    if len(apps) != 1:
        sys.exit(f"function_app.py must define exactly one FunctionApp, found {len(apps)}")
    names = sorted(function.get_function_name() for function in apps[0].get_functions())
    print(json.dumps(names))


if __name__ == "__main__":
    main()
