"""Layout variants of issue 6: the PDFs governments really publish.

Each module registers one or more layouts (see :mod:`renderer.registry`) by subclassing
:class:`renderer.plain.PlainLayout` and overriding the hooks it changes:

=====================  ===============================================================
``two_column``          article bodies in two columns (titles and cover/目录 stay single)
``two_column_mixed``    every other article (and standalone attachments) single-column
``header_footer``       other header wording, alternating headers, "-3-" page numbers,
                        footer lines (every form through ``RenderOptions.furniture``)
``fake_bold``           titles/headings drawn twice, 0.3–0.6 pt apart
``letter_spaced``       per-character / ``charSpace`` justified lines, spaced titles
``kangxi``              Kangxi radicals / CJK radicals supplement look-alikes in the
                        text layer, full-width digits in 发文字号 and dates
``broken_tounicode``    embedded subsets without (or with wrong) ToUnicode maps
``scanned``, ``mixed``  image-only pages (all, or some) rasterised from the plain PDF
=====================  ===============================================================

Tables are content (``AttachmentSpec.tables``), printed by every layout; OFD is an output
format (``RenderOptions.format``). :mod:`renderer.cases` names the combinations the
fidelity report renders.
"""
