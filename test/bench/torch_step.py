"""PyTorch's cost of one step of the seed's loop (CPU, one thread): draw the batch, forward, MSE,
validation on the 5001-point grid, backward, SGD step (and CyclicLR for the wide model).
Prints one JSON line: {"torch": version, "narrow_us": ..., "wide_us": ...}."""
import json, sys, time
import torch

torch.set_num_threads(1)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
torch.manual_seed(2025)
inputs = (torch.linspace(0.0, 1000.0, 5001) / 1000.0).unsqueeze(1)
fGoal = lambda x: torch.where(x > 100, 1000.0, 0)
outputs = fGoal(inputs * 1000.0) / 1000.0
lossFn = torch.nn.MSELoss()

def per_step_us(hidden, cyclic):
    act = torch.nn.LeakyReLU(negative_slope=0.001)
    model = torch.nn.Sequential(torch.nn.Linear(1, hidden), act, torch.nn.Linear(hidden, 1), act)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=.5, step_size_up=100, step_size_down=900,
                                              mode='triangular2', cycle_momentum=False) if cyclic else None
    best = float('inf')
    for _ in range(3):
        start = time.perf_counter()
        for i in range(steps):
            inp = torch.rand(100, 1)
            out = fGoal(inp * 1000.0) / 1000.0
            pred = model(inp)
            lossTrain = lossFn(pred, out)
            with torch.no_grad(): lossVal = lossFn(model(inputs), outputs)
            if lossVal <= 0.005: break
            opt.zero_grad()
            lossTrain.backward()
            opt.step()
            if sched: sched.step()
        best = min(best, (time.perf_counter() - start) / steps * 1e6)
    return best

print(json.dumps({'torch': torch.__version__, 'narrow_us': per_step_us(1, False), 'wide_us': per_step_us(8, True)}))
