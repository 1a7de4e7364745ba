"""Fails on links to a missing anchor in a built MkDocs site.

MkDocs 1.4 (Debian's) checks that a linked page exists but not the `#anchor` after it, so
scripts/docs-check.sh runs this over the built HTML: every relative link `page/#anchor` or
`#anchor` must name an element id of its target page. Prints each broken link with the page it
is on; exit 1 when there is one.

Usage: python3 scripts/docs/check-anchors.py <site dir>
"""

import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def main(site):
    pages = {}
    for root, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = os.path.normpath(os.path.join(root, name))
                page = Page()
                with open(path, encoding="utf-8") as f:
                    page.feed(f.read())
                pages[path] = page
    broken = []
    for path, page in sorted(pages.items()):
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = path
            if parts.path:
                target = os.path.normpath(os.path.join(os.path.dirname(path), unquote(parts.path)))
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
            if target not in pages:
                continue  # a missing page is mkdocs's own warning
            if unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{os.path.relpath(path, site)}: link {href}: no such anchor in {os.path.relpath(target, site)}")
    for line in broken:
        print(line, file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check-anchors.py <site dir>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
