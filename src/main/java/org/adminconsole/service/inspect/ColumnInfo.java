package org.adminconsole.service.inspect;

import java.sql.Types;

/** One column from the metadata. {@code pkPosition} is 1-based inside the primary key, 0 when not part of it. */
public record ColumnInfo(String name, String typeName, int jdbcType, int size, int decimalDigits, boolean nullable,
                         String defaultValue, int pkPosition) {

    public boolean inPrimaryKey() {
        return pkPosition > 0;
    }

    /** e.g. VARCHAR(254), NUMERIC(15,2), BIGINT. */
    public String displayType() {
        if (isCharacter() && size > 0 && size < Integer.MAX_VALUE / 2) {
            return typeName + "(" + size + ")";
        }
        if ((jdbcType == Types.DECIMAL || jdbcType == Types.NUMERIC) && size > 0) {
            return typeName + "(" + size + "," + decimalDigits + ")";
        }
        return typeName;
    }

    public boolean isCharacter() {
        return switch (jdbcType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> true;
            default -> false;
        };
    }

    public boolean isBinary() {
        return switch (jdbcType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> !isUuid();
            default -> false;
        };
    }

    public boolean isUuid() {
        return "UUID".equalsIgnoreCase(typeName);
    }
}
