package kiban.data.table;

/**
 * One column of a {@link Table}: {@code rows()} rows of {@code width()} elements each, stored row-major
 * in one primitive array. {@code list} says whether it is stored as a Parquet LIST (vectors such as
 * {@code observation.state}) or as a scalar (width 1, such as {@code timestamp}).
 */
public sealed interface Column permits FloatColumn, DoubleColumn, LongColumn, BoolColumn, StringColumn, StringListColumn {

    int rows();

    int width();

    boolean list();

    /** Element {@code j} of row {@code i} as a double (strings: NaN). */
    double getDouble(int row, int j);

    /** Rows {@code [from, to)} as a new column. */
    Column slice(int from, int to);

    /** LeRobot dtype name of the elements. */
    String dtype();
}
