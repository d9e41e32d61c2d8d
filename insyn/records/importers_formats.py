IMPORT_FORMATS = ["auto", "text", "xlsx", "ods", "csv", "docx", "json"]
