using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// A network as the trainer sees it: a pure function from parameters and a batch of images [N, C, S, S] to logits
/// [N, classes]. <paramref name="training"/> switches dropout on; <paramref name="key"/> feeds its masks.
/// </summary>
public delegate Tensor ModelFunction(TensorMap parameters, Tensor images, bool training, RandomKey key);
