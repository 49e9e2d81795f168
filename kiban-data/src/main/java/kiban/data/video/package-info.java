/** Video files of datasets: MP4 container metadata (duration), read without decoding. */
package kiban.data.video;
