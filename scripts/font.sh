#!/usr/bin/env bash
# A CJK font for the evidence comparison PDFs (fpdf2 needs one; Debian: fonts-wqy-microhei).
# Run by `make demo` and by scripts/services.sh; installs only when missing and root with apt-get.
if [ -z "${NEWSRIGHTS_CJK_FONT:-}" ] && [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
   && [ ! -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "font: installing fonts-wqy-microhei (CJK font for evidence PDFs)" >&2
    (apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1; }) \
      || echo "font: could not install fonts-wqy-microhei; evidence PDFs need a CJK font (NEWSRIGHTS_CJK_FONT)" >&2
  else
    echo "font: no CJK font found; install fonts-wqy-microhei or set NEWSRIGHTS_CJK_FONT for evidence PDFs" >&2
  fi
fi
true
