package kiban.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;

/**
 * The {@code pandas} entry pyarrow writes into a Parquet footer when it stores a pandas DataFrame:
 * {@code index_columns} lists the columns that hold the DataFrame's index, by name ({@code task},
 * or {@code __index_level_0__} for an unnamed index), or as an object for a RangeIndex, which is
 * stored as metadata only.
 */
final class PandasMetadata {

    static final String KEY = "pandas";

    private PandasMetadata() {
    }

    /** Columns holding the DataFrame's index; empty when the footer has no pandas metadata. */
    static List<String> indexColumns(Map<String, String> keyValue, String source) {
        String text = keyValue.get(KEY);
        if (text == null) {
            return List.of();
        }
        JsonNode root = Json.parseTree(text, source + " (footer metadata 'pandas')");
        JsonNode index = root.get("index_columns");
        if (index == null || index.isNull()) {
            return List.of();
        }
        if (!index.isArray()) {
            throw new InvalidInputException(source, "pandas.index_columns", "a list of index column names", index.toString());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : index) {
            // An object describes a RangeIndex, which has no column.
            if (c.isTextual()) {
                out.add(c.asText());
            }
        }
        return out;
    }
}
