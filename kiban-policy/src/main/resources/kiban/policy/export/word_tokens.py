#!/usr/bin/env python3
"""Kiban's hashed word tokenizer (kiban-policy's InstructionTokens, "hashed_word_tokens" version 1)
in plain Python, written beside a foundation policy's TorchScript export so that PyTorch users can
give the module an instruction as Kiban does.

The words are the lower-cased text's runs of Unicode letters and digits; each is hashed with 32-bit
FNV-1a over its UTF-8 bytes into one of `vocabulary` ids from 1; the first `max_tokens` ids, padded
with 0. Both numbers are in the export's policy.json (`instructions`).

    import json, torch, word_tokens
    spec = json.load(open("policy.json"))["instructions"]
    ids = word_tokens.encode("place the cube in the left zone", spec["vocabulary"], spec["max_tokens"])
    chunk = torch.jit.load("model.pt")(obs, None, torch.tensor([ids]))

Run alone, `word_tokens.py VOCABULARY MAX_TOKENS TEXT...` prints each text's ids as JSON lines.
"""
import json
import sys
import unicodedata

NAME = "hashed_word_tokens"
VERSION = 1


def words(text):
    """The lower-cased runs of letters and digits of `text`, in order (InstructionFeatures.words)."""
    out, word = [], []
    for ch in text.lower():
        if unicodedata.category(ch)[0] in "LN":
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def fnv1a(data):
    """32-bit FNV-1a of `data` (bytes), unsigned."""
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def encode(text, vocabulary, max_tokens):
    """The ids of `text`'s first `max_tokens` words, then zeros."""
    ids = [1 + fnv1a(w.encode("utf-8")) % vocabulary for w in words(text)[:max_tokens]]
    return ids + [0] * (max_tokens - len(ids))


if __name__ == "__main__":
    for t in sys.argv[3:]:
        print(json.dumps(encode(t, int(sys.argv[1]), int(sys.argv[2]))))
