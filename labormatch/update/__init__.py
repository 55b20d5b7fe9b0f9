"""`labormatch data update`: fetch the newest official files and rebuild the snapshot, safely.

- `catalog`: the sources, declared as data in `sources.yaml` (address pattern, format, content, frequency).
- `fetch`: HTTP downloads into a temporary folder, with retries, backoff and one-line errors.
- `plan`: what each source would fetch, given the raw folder and the snapshot (nothing new -> nothing).
- `validate`: each download is opened with the project's own loader before it may join the raw folder.
- `apply`: moves checked files into the raw folder, rebuilds the snapshot in a temporary folder, installs
  it only when the build and the manifest check pass, and otherwise restores the raw folder as it was.
- `summary`: what changed between the old and the new snapshot.

Nothing here runs unless `labormatch data update` (or `apply.run`) is called: the package is offline by default.
"""

from labormatch.update.fetch import UpdateError

__all__ = ["UpdateError"]
