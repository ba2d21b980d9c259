#!/usr/bin/env bash
# Prints certificates of 2, 15 and 40 records with headless Chromium, as a district office
# would print them from a browser, and checks what comes out:
#   - the PDF's page count (pdfinfo): 2 and 15 records on one A4 page, 40 on more, as many as
#     the page numbers printed on them ("第 n 页 共 m 页") say;
#   - the PDF's text layer (pdftotext) holds the Chinese title, the volunteer's name and the
#     signature lines (so the CJK font was found, not boxes);
#   - the QR code (zbarimg), read from the printed last page and from a screenshot, decodes to
#     exactly what was put in (examples/certificate_pages.rs writes it beside each page).
# Installs chromium, zbar-tools, poppler-utils and fonts-noto-cjk (Debian packages) when missing.
#
#     bash tools/check_certificate_render.sh [out-dir]      (default target/certificates)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-target/certificates}"
CARGO="${CARGO:-cargo}"

need_install=0
for tool in chromium zbarimg pdfinfo pdftotext pdftoppm fc-list; do
    command -v "$tool" >/dev/null || need_install=1
done
if [ "$need_install" = 0 ] && [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    need_install=1
fi
if [ "$need_install" = 1 ]; then
    pkgs=(chromium zbar-tools poppler-utils fonts-noto-cjk fontconfig)
    echo "check-certificate: installing ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null; }
fi

rm -rf "$OUT"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
$CARGO run -q -p volunteer-ledger --example certificate_pages -- "$OUT" >/dev/null

PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT
browser() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$PROFILE" --hide-scrollbars "$@" >/dev/null 2>&1
}

failed=0
fail() {
    echo "check-certificate: FAIL $*"
    failed=$((failed + 1))
}
passed=0
pass() { passed=$((passed + 1)); }

for n in 2 15 40; do
    page="$OUT/cert-$n"
    browser --no-pdf-header-footer --print-to-pdf="$page.pdf" "file://$page.html"
    # Twice the pixels of a 96 dpi screen, as a phone or a laptop shows it.
    browser --screenshot="$page.png" --window-size=900,1250 --force-device-scale-factor=2 \
        "file://$page.html"
    [ -s "$page.pdf" ] && [ -s "$page.png" ] || { fail "cert-$n: Chromium made no PDF or PNG"; continue; }

    pages="$(pdfinfo "$page.pdf" | awk '/^Pages:/ {print $2}')"
    layout="$(grep -o '共 [0-9]* 页' "$page.html" | head -1 | tr -dc '0-9')"
    if [ "$n" -le 15 ]; then
        [ "$pages" = 1 ] && pass || fail "cert-$n: $pages pages, 1 expected"
    else
        [ "$pages" -gt 1 ] && pass || fail "cert-$n: $pages page, more expected"
    fi
    [ "$pages" = "$layout" ] && pass || fail "cert-$n: the PDF has $pages pages, the page numbers say $layout"

    # Compared without spaces: a title set with letter spacing comes out as "志 愿 服 务".
    text="$(pdftotext "$page.pdf" - | tr -d ' ')"
    name="$(cat "$page.name.txt")"
    for want in "志愿服务记录证明" "$name" "负责人（签字）" "经办人（签字）" "出具单位（盖章）" \
        "第1页共${pages}页" "第${pages}页共${pages}页"; do
        grep -qF -- "$want" <<<"$text" && pass || fail "cert-$n: the PDF's text lacks '$want'"
    done

    # The QR code, read from the printed last page and, for one-page certificates, from the
    # screenshot of the page as a browser shows it.
    want="$(cat "$page.qr.txt")"
    pdftoppm -r 200 -png -f "$pages" -l "$pages" "$page.pdf" "$page-last"
    images=("$page-last"*.png)
    [ "$pages" = 1 ] && images+=("$page.png")
    for image in "${images[@]}"; do
        got="$(zbarimg --raw -q "$image" 2>/dev/null || true)"
        [ "$got" = "$want" ] && pass || fail "cert-$n: the QR code in $(basename "$image") reads '$got', not '$want'"
    done
done

echo "check-certificate: $passed passed, $failed failed"
[ "$failed" = 0 ]
