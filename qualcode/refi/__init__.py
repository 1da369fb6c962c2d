"""REFI-QDA project exchange (`.qdpx`): export a whole project, import one another tool wrote.

`project_export.export_qdpx` writes the zip (project.qde, sources/<guid>.txt and
qualcode.json); `project_import.import_qdpx` reads one back. The codebook part reuses
`qualcode.codebook.qdc` and `qualcode.codebook.qdc_import`, so a `.qdc` and a `.qdpx` of the
same codebook carry the same code tree and the same GUIDs.
"""
