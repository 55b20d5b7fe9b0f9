"""Data: sources and vintages of the snapshot, its manifest check, and validating a newer upload.

An uploaded file is read with the same loader `labormatch data build` uses, in a temporary folder:
a bad file gives the loader's error and changes nothing; a good one is summarised against the snapshot.
"""

import pandas as pd
import streamlit as st

from app_pages import common
from labormatch import snapshot, uploads
from labormatch.errors import LabormatchError
from labormatch.update.data_ends import source_data_ends

MANIFEST_CHECK = "manifest_check"
#: The manifest's columns by their meaning (sizes and rows with thousands separators).
COLUMNS = {
    "path": st.column_config.TextColumn("File (in the raw folder)"),
    "file": st.column_config.TextColumn("Table file"),
    "sha256": st.column_config.TextColumn("Checksum (SHA-256, first 12 characters)"),
    "bytes": st.column_config.NumberColumn("Size (bytes)", format="%,.0f"),
    "rows": st.column_config.NumberColumn("Rows", format="%,.0f"),
    "vintage": st.column_config.TextColumn("Vintage (release)", width="small"),
    "date_range": st.column_config.TextColumn("Dates (first to last)"),
}

st.title("Data")

with common.shown_errors():
    manifest = snapshot.manifest()
    st.caption(
        f"Embedded snapshot built {manifest.get('built_at', '?')} "
        f"by labormatch {manifest.get('package_version', '?')}; "
        f"data checksum `{manifest.get('data_checksum', snapshot.data_checksum())[:16]}`."
    )
    st.subheader("How current the data is")
    st.table(source_data_ends().set_index("source"))
    st.caption(
        f"Snapshot as of {snapshot.as_of_month():%Y-%m}. To fetch the newest official files and rebuild it, run "
        "`labormatch data update` in a terminal (set `BLS_API_KEY` first, or add `--bls flat`; `--dry-run` lists "
        "what it would fetch). The app never uses the network itself; reload this page after an update."
    )
    st.subheader("Sources and vintages")
    sources = pd.DataFrame(manifest.get("sources", []))
    if not sources.empty:
        sources["sha256"] = sources["sha256"].str[:12]
    st.dataframe(sources, hide_index=True, width="stretch", column_config=COLUMNS)
    st.subheader("Snapshot tables")
    outputs = pd.DataFrame(manifest["outputs"])
    outputs["sha256"] = outputs["sha256"].str[:12]
    if "date_range" in outputs:  # [first, last], or nothing for a table without dates
        outputs["date_range"] = outputs["date_range"].map(
            lambda span: " to ".join(map(str, span)) if isinstance(span, list) and span else "no dates"
        )
    st.dataframe(outputs, hide_index=True, width="stretch", column_config=COLUMNS)

st.subheader("Check the snapshot against its manifest")
if st.button("Run the manifest check"):
    with st.spinner("Checking every snapshot file's size, checksum and rows..."):
        st.session_state[MANIFEST_CHECK] = (snapshot.data_checksum(), snapshot.check())
checked_checksum, problems = st.session_state.get(MANIFEST_CHECK, (None, []))
if checked_checksum == snapshot.data_checksum():  # kept while the snapshot is unchanged: an upload does not wipe it
    with st.status(
        f"{len(problems)} problem(s) found" if problems else "Snapshot intact: every file matches the manifest",
        state="error" if problems else "complete",
        expanded=bool(problems),
    ):
        for problem in problems:
            st.error(problem)

st.subheader("Upload a newer OFLC or BLS file")
st.caption(
    "The file is validated with the loader the snapshot build uses. Nothing in the snapshot changes: "
    "a valid file is summarised against it; to include it, put it in the raw folder and run "
    "`labormatch data build` (which replaces the snapshot only when the whole build succeeds)."
)
kind = st.radio("File type", list(uploads.KINDS), horizontal=True, key="upload_kind")
upload = st.file_uploader(f"{kind} file", type=uploads.KINDS[kind].extensions, key="data_upload")
if upload is not None:
    with common.shown_errors():
        with st.status(f"Validating {upload.name}...", expanded=False) as status:
            try:
                with common.uploaded_file(upload) as path:
                    summary = uploads.KINDS[kind].validate(path)
            except LabormatchError:
                status.update(label=f"{upload.name}: rejected; the snapshot is unchanged", state="error")
                raise
            status.update(label=f"{upload.name}: valid {kind} file", state="complete")
        st.success(summary.headline)
        st.dataframe(summary.table, hide_index=True, width="stretch")
