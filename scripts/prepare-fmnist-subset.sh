#!/usr/bin/env bash
# Writes the Fashion-MNIST subset the GPU check trains on into an ignored folder that travels with the working tree
# (the GPU machine has neither network nor the Debian package): the first N training images and labels (default 20000)
# and the whole 10,000-image test set, as the four standard IDX .gz files, so FashionMnist.Load reads the folder.
# Usage: scripts/prepare-fmnist-subset.sh [count] [source folder] [output folder]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-20000}
SRC=${2:-/usr/share/datasets/fashion-mnist}
DST=${3:-.fmnist}
python3 - "$COUNT" "$SRC" "$DST" <<'PYEOF'
import gzip, os, struct, sys
count, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(dst, exist_ok=True)
def read(name):
    for path, opener in ((os.path.join(src, name + ".gz"), gzip.open), (os.path.join(src, name), open)):
        if os.path.exists(path):
            with opener(path, "rb") as f:
                return f.read()
    sys.exit(f"{name}(.gz) is not in {src}; install it with: apt-get install -y dataset-fashion-mnist")
def write(name, data, limit):
    magic = struct.unpack(">I", data[:4])[0]
    rank = magic & 0xFF
    dims = list(struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank]))
    n = min(limit, dims[0]) if limit else dims[0]
    item = 1
    for d in dims[1:]:
        item *= d
    body = data[4 + 4 * rank:4 + 4 * rank + n * item]
    dims[0] = n
    with gzip.GzipFile(os.path.join(dst, name + ".gz"), "wb", compresslevel=9, mtime=0) as f:
        f.write(struct.pack(">I", magic) + struct.pack(">" + "I" * rank, *dims) + body)
    print(f"{name}.gz: {n} of {len(data[4 + 4 * rank:]) // item} items, {os.path.getsize(os.path.join(dst, name + '.gz'))} bytes")
write("train-images-idx3-ubyte", read("train-images-idx3-ubyte"), count)
write("train-labels-idx1-ubyte", read("train-labels-idx1-ubyte"), count)
write("t10k-images-idx3-ubyte", read("t10k-images-idx3-ubyte"), 0)
write("t10k-labels-idx1-ubyte", read("t10k-labels-idx1-ubyte"), 0)
PYEOF
du -sh "$DST"
