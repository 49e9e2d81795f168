/**
 * LeRobotDataset on disk: the v3.0 format read and written ({@link kiban.data.lerobot.LeRobotDataset},
 * {@link kiban.data.lerobot.LeRobotDatasetWriter}), v2.0/v2.1 read and converted
 * ({@link kiban.data.lerobot.DatasetConverter}), and every invariant checked
 * ({@link kiban.data.lerobot.DatasetValidator}).
 */
package kiban.data.lerobot;
