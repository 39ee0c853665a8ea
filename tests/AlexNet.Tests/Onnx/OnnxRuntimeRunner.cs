using AlexNet.Autograd;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace AlexNet.Tests.Onnx;

/// <summary>Runs an .onnx file in ONNX Runtime on the CPU, with our tensors in and out.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>The ONNX Runtime version that runs the models (the native library's own report).</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Runs a model with one float input and returns its first output.</summary>
    public static Tensor Run(string modelPath, Tensor input)
    {
        using var session = Open(modelPath);
        var outputs = Run(session, new Dictionary<string, Tensor> { [session.InputNames[0]] = input });
        return outputs[session.OutputNames[0]];
    }

    /// <summary>Runs a model on named float inputs and returns every output by name.</summary>
    public static IReadOnlyDictionary<string, Tensor> RunAll(string modelPath, IReadOnlyDictionary<string, Tensor> inputs)
    {
        using var session = Open(modelPath);
        return Run(session, inputs);
    }

    private static InferenceSession Open(string modelPath)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.AppendExecutionProvider_CPU();
        return new InferenceSession(modelPath, options);
    }

    private static Dictionary<string, Tensor> Run(InferenceSession session, IReadOnlyDictionary<string, Tensor> inputs)
    {
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => OrtValue.CreateTensorValueFromMemory(inputs[n].ToArray(),
            [.. inputs[n].Shape.Dims.Select(d => (long)d)])).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, names, values, session.OutputNames);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            for (int i = 0; i < outputs.Count; i++)
            {
                var info = outputs[i].GetTensorTypeAndShape();
                if (info.ElementDataType != TensorElementType.Float)
                    throw new InvalidOperationException($"Output '{session.OutputNames[i]}' is {info.ElementDataType}, not float.");
                var shape = new Shape([.. info.Shape.Select(d => checked((int)d))]);
                result[session.OutputNames[i]] = Tensor.FromSpan(outputs[i].GetTensorDataAsSpan<float>(), shape);
            }
            return result;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
