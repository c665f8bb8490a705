# "Seed: narrow SGD vs wide CyclicLR": a Minima Lab preset as a standalone PyTorch script (lab export torch, Minima Lab 0.1.0).
# It trains what `lab run` trains as PyTorch computes it: the same random streams, initial weights, batches,
# validation grid and targets, optimizers, schedules and stop rule; it prints the lab's .out log line for line,
# the values to PyTorch's float32 rounding (the lab computes in float64).
# rng torch: one stream, torch.manual_seed(2025), consumed in the seed script's order.
# Needs torch alone: python3 script.py > script.out
import torch
from torch import nn


nEpoch = 1000001  # steps at most (stop.maxSteps): the last is step 1000000
lossLim = 0.005  # a model stops once its validation loss is at or below this (stop.lossLimit)
logged = {0}  # the models of each group that print their steps (log.models)
printAt = {0, 1, 2, 5, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 200000, 300000, 400000, 500000, 600000, 700000, 800000, 900000, 1000000}  # the seed's doPrint steps below nEpoch (log.steps: seed)


def doPrint(i):
    return i in printAt


def fGoal(x):
    # the target: a step (1.0 where x > 0.1, else 0.0), in float64 on exact inputs as the lab computes it
    return torch.where(x > 0.1, x.new_tensor(1.0), x.new_tensor(0.0))


# the validation grid x_i = i / 5000, exact in float64 (the model computes in float32)
grid = torch.arange(5001, dtype=torch.float64).unsqueeze(1) / 5000
inputs = grid.float()
outputs = fGoal(grid).float()
lossFn = nn.MSELoss()


def freshBatch(size):
    # size new uniform samples: every step (data: fresh), or once as a model starts training (data: fixed)
    inp = torch.rand(size, 1)
    return inp, fGoal(inp.double()).float()


# group "models": 1-1-1, nn.LeakyReLU(negative_slope=0.001) after every layer, init torch-default
class Models(nn.Sequential):
    def __init__(self):
        act = nn.LeakyReLU(negative_slope=0.001)
        super().__init__(nn.Linear(1, 1), act, nn.Linear(1, 1), act)


# group "modelsB": 1-8-1, nn.LeakyReLU(negative_slope=0.001) after every layer, init torch-default
class ModelsB(nn.Sequential):
    def __init__(self):
        act = nn.LeakyReLU(negative_slope=0.001)
        super().__init__(nn.Linear(1, 8), act, nn.Linear(8, 1), act)


def train(iMod, model, opt, sched, nextBatch):
    with torch.no_grad():
        lossInit = lossFn(model(inputs), outputs)
    print('iMod:', iMod, ' lossInit:', lossInit)
    for i in range(nEpoch):
        inp, out = nextBatch()
        pred = model(inp)
        lossTrain = lossFn(pred, out)
        with torch.no_grad():
            lossVal = lossFn(model(inputs), outputs)
        if iMod in logged and (doPrint(i) or i == nEpoch - 1 or lossVal <= lossLim):
            print('i:', i, ', lossTrain:', lossTrain.detach(), ', lossVal:', lossVal)
        if lossVal <= lossLim:
            break
        if not (lossTrain.isfinite() and lossVal.isfinite()):
            # diverged: the lab stops the model here, and the one stream still advances by the batches the
            # rest of its steps would have drawn, so the models after it see the seed script's batches
            for _ in range(i + 1, nEpoch):
                nextBatch()
            break
        opt.zero_grad()
        lossTrain.backward()
        opt.step()
        if sched is not None:
            sched.step()
    with torch.no_grad():
        lossFinl = lossFn(model(inputs), outputs)
    print('iMod:', iMod, ' lossFinl:', lossFinl, ' epochs:', i)


print(f'PyTorch {torch.__version__}, exported from Minima Lab 0.1.0')
# rng torch: one stream; every model of every group is initialised first, in order, then each trains in turn
torch.manual_seed(2025)
models = [Models() for _ in range(10)]
modelsB = [ModelsB() for _ in range(10)]

print('models training ...')
for iMod, model in enumerate(models):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    train(iMod, model, opt, None, lambda: freshBatch(100))

print('modelsB training ...')
for iMod, model in enumerate(modelsB):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.5, step_size_up=100, step_size_down=900, mode='triangular2', cycle_momentum=False)
    train(iMod, model, opt, sched, lambda: freshBatch(100))
