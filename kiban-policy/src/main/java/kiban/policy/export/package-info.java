/**
 * Exports a Kiban training run as a TorchScript policy folder, the format of
 * {@link kiban.policy.torchscript}: PyTorch can {@code torch.jit.load} it and Kiban loads it
 * back as a {@code torchscript} policy. The module is built by a Python script shipped with
 * Kiban ({@code torchscript_export.py}) and run with the machine's PyTorch.
 */
package kiban.policy.export;
