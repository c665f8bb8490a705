"""Runs exported PyTorch scripts one after another in this one process, torch imported once: each
script's stdout goes to its .out file. Usage: run-torch-scripts.py SCRIPT OUT [SCRIPT OUT ...]"""
import contextlib
import runpy
import sys

import torch

torch.set_num_threads(1)  # tiny networks: one thread is as fast, and leaves the machine's other cores alone
for script, out in zip(sys.argv[1::2], sys.argv[2::2]):
    with open(out, 'w', encoding='utf-8') as log, contextlib.redirect_stdout(log):
        runpy.run_path(script, run_name='__main__')
