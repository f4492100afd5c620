"""`--help` for the scripts of golden/: each prints its own description and stops, doing nothing."""
import sys


def on_help(name, path):
    """When the script run as the program (name == "__main__") is asked for help (-h or --help),
    prints the description at its top (its docstring, or its leading comment lines) and exits 0."""
    if name != "__main__" or not any(a in ("-h", "--help") for a in sys.argv[1:]):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines()
    if lines and lines[0].startswith("#!"):
        lines = lines[1:]
    body = "\n".join(lines).lstrip()
    if body.startswith('"""'):
        print(body[3:body.index('"""', 3)].strip())
    else:
        out = []
        for line in lines:
            if not line.startswith("#"):
                if out:
                    break
                continue
            out.append(line[1:].strip() if len(line) > 1 and line[1] == " " else line[1:])
        print("\n".join(out).strip())
    sys.exit(0)
