/** Policy models and their training on DJL (PyTorch engine; CPU by default, GPUs where present). */
package kiban.policy;
