#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: the YNL spec and the uapi header agree (spec_uapi.py).
repo=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 -c 'import yaml' 2>/dev/null ||
	{ echo "# SKIP python3-yaml not installed"; exit 4; }
exec /usr/bin/python3 "$repo/selftests/host/spec_uapi.py" "$repo"
