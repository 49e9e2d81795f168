/** Datasets for robot learning: LeRobot formats, statistics, columnar tables and Parquet I/O. */
package kiban.data;
