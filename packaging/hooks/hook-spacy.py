"""spaCy for the bundle, as pyinstaller-hooks-contrib's hook collects it but without its
tests: the spec excludes ``spacy.tests``, and the contrib hook's hidden imports of every
test module then printed some 350 "not found" warnings that buried the real ones."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("spacy", excludes=["**/tests/**"])
hiddenimports = collect_submodules("spacy", filter=lambda name: ".tests" not in name)
