package kz.ehr.billing.export;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for the tests: what a spreadsheet or a call centre's import would see in each cell. */
public final class CsvRecords {
    private CsvRecords() {
    }

    public static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (i < csv.length()) {
            char ch = csv.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i += 2;
                    continue;
                }
                if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
                i++;
                continue;
            }
            if (ch == '"') {
                if (cell.length() > 0 || wasQuoted) {
                    throw new IllegalArgumentException("a quote inside an unquoted cell at " + i);
                }
                quoted = true;
                wasQuoted = true;
            } else if (ch == ',') {
                record.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (ch == '\r' || ch == '\n') {
                record.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
                records.add(record);
                record = new ArrayList<>();
                i += ch == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n' ? 2 : 1;
                continue;
            } else {
                if (wasQuoted) {
                    throw new IllegalArgumentException("text after a closing quote at " + i);
                }
                cell.append(ch);
            }
            i++;
        }
        if (quoted) {
            throw new IllegalArgumentException("an unterminated quoted cell");
        }
        if (cell.length() > 0 || !record.isEmpty()) {
            record.add(cell.toString());
            records.add(record);
        }
        return records;
    }

    /** What a cell must read as: the text itself, behind a single quote when a spreadsheet would take it for a formula. */
    public static String neutralised(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
