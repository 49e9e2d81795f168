/** Datasets for robot learning: LeRobot formats, statistics, columnar tables, Parquet I/O and the cache of decoded video frames. */
package kiban.data;
