/**
 * Video files of datasets: MP4 container metadata (duration) read without decoding, and frames
 * encoded and decoded frame-accurately through the system's ffmpeg ({@link kiban.data.video.Ffmpeg}).
 */
package kiban.data.video;
