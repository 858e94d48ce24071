#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything pvr needs to build, lint and test, on a fresh Debian 12
# (bookworm) or Debian 13 (trixie) machine. Run as root. Idempotent: when all
# is present it prints one line and changes nothing.
#
#   - both supported kernels, images and headers: 6.1 (bookworm) and 6.12
#     (bookworm-backports on Debian 12, the main suite on Debian 13);
#   - the linux-source tarballs (checkpatch.pl and, later, ynl and the debug
#     kernel are taken from them at build time, never committed);
#   - toolchain, sparse, dkms, libmnl, qemu, iproute2, DPDK, gnuplot;
#   - virtme-ng: packaged in Debian 13 only; on Debian 12 its arch-all .deb
#     is fetched from trixie through a private apt lists directory (trixie is
#     never added to the system's sources) and installed with bookworm's
#     dependencies.
set -eu

log() { printf 'install-deps: %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
	log "must run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

# Common packages (both releases).
PKGS="build-essential make gcc bc bison flex libelf-dev libssl-dev kmod
sparse dkms libmnl-dev pkg-config iproute2 ethtool libcap2-bin jq
qemu-system-x86 qemu-utils busybox-static
python3 python3-yaml python3-jsonschema python3-requests python3-argcomplete
dpdk dpdk-dev gnuplot-nox util-linux procps xz-utils ca-certificates rsync
clang llvm libclang-rt-dev"

case "$codename" in
bookworm)
	K61="linux-image-amd64 linux-headers-amd64 linux-source-6.1"
	BP=1
	;;
trixie)
	K61=""
	BP=0
	;;
*)
	log "unsupported release '$codename' (Debian 12 or 13 expected)" >&2
	exit 1
	;;
esac

updated=0
apt_update() {
	if [ "$updated" = 0 ]; then
		log "apt-get update"
		apt-get -qq update
		updated=1
	fi
}

# 1. bookworm-backports for the 6.12 kernel (Debian 12 only).
if [ "$BP" = 1 ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	log "adding bookworm-backports to apt sources"
	cat >/etc/apt/sources.list.d/pvr-bookworm-backports.sources <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	updated=0
fi

missing=""
for p in $PKGS $K61; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt_update
	log "installing:$missing"
	apt-get -qq -y install --no-install-recommends $missing >/dev/null
fi

# 2. The 6.12 kernel, headers and source.
if [ "$BP" = 1 ]; then
	if ! ls /lib/modules/6.12.*-amd64/build/Makefile >/dev/null 2>&1 ||
	   ! ls /usr/src/linux-source-6.12.tar.xz >/dev/null 2>&1 ||
	   ! ls /boot/vmlinuz-6.12.*-amd64 >/dev/null 2>&1; then
		apt_update
		log "installing the 6.12 kernel, headers and source from bookworm-backports"
		apt-get -qq -y install --no-install-recommends -t bookworm-backports \
			linux-image-amd64 linux-headers-amd64 linux-source-6.12 >/dev/null
	fi
fi

# 3. virtme-ng.
if ! command -v vng >/dev/null 2>&1; then
	if [ "$codename" = trixie ]; then
		apt_update
		log "installing virtme-ng"
		apt-get -qq -y install --no-install-recommends virtme-ng >/dev/null
	else
		log "fetching virtme-ng from trixie (private apt lists, system sources untouched)"
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
		cat >"$tmp/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
		aopts="-o Dir::Etc::SourceList=$tmp/sources.list -o Dir::Etc::SourceParts=/dev/null
		       -o Dir::State::Lists=$tmp/lists -o Dir::Cache::Archives=$tmp/archives
		       -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Get::List-Cleanup=0
		       -o APT::Sandbox::User=root"
		# shellcheck disable=SC2086
		apt-get -qq $aopts update
		# shellcheck disable=SC2086
		(cd "$tmp" && apt-get -qq $aopts download virtme-ng)
		apt_update
		apt-get -qq -y install --no-install-recommends "$tmp"/virtme-ng_*.deb >/dev/null
	fi
fi

# 4. virtme-ng's guest init wants a writable /tmp and busybox; both present.
if [ -n "$missing" ] || [ "$updated" = 1 ]; then
	log "done"
else
	log "all dependencies present"
fi
