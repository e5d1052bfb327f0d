"""Reading inputs: files on disk → RawDocument, or an Excluded outcome with its reason.

Format, encoding and one-article-per-line layout are detected, not configured. Every file under the input
folder produces at least one outcome, so nothing is lost silently.
"""

from newsfacts.read.files import Auxiliary, Excluded, read_folder, read_bytes

__all__ = ["Auxiliary", "Excluded", "read_folder", "read_bytes"]
