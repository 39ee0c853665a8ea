using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary>Bad arguments: each is one <c>error:</c> line naming the option and what it must be, exit code 2, found while
/// parsing (before any data is read: the data named here does not exist).</summary>
public sealed class ArgumentErrorTests
{
    private const string NoData = "--fashion-dir=/nonexistent/fashion";

    [Theory]
    [InlineData("train --epochs x", "--epochs expects a whole number, got 'x'")]
    [InlineData("train --epochs 1.5", "--epochs expects a whole number, got '1.5'")]
    [InlineData("train --lr abc", "--lr expects a number, got 'abc'")]
    [InlineData("train --seed 1e3", "--seed expects a whole number")]
    [InlineData("train --epochs 0", "--epochs must be ≥ 1, got 0")]
    [InlineData("train --towers 0", "--towers must be ≥ 1")]
    [InlineData("train --towers -2", "--towers must be ≥ 1")]
    [InlineData("summary --towers 0", "--towers must be ≥ 1")]
    [InlineData("train --towers 3", "--towers 3 does not suit the fashion preset", "Towers that fit: 1, 2, 4, 8, 16")]
    [InlineData("train --preset cifar --towers 5", "--towers 5 does not suit the cifar preset", "1, 2, 3, 4, 6, 8, 12, 16")]
    [InlineData("summary --towers 3", "--towers 3 does not suit the fashion preset")]
    [InlineData("train --minutes NaN", "--minutes must be a finite number ≥ 0 (0: no budget), got NaN")]
    [InlineData("train --minutes Infinity", "--minutes must be a finite number ≥ 0 (0: no budget), got Infinity")]
    [InlineData("train --minutes -1", "--minutes must be a finite number ≥ 0")]
    [InlineData("train -b 0", "--batch-size must be ≥ 1, got 0")]
    [InlineData("train --lr 0", "--lr must be a finite number > 0, got 0")]
    [InlineData("train --lr -1", "--lr must be a finite number > 0, got -1")]
    [InlineData("train --lr NaN", "--lr must be a finite number > 0, got NaN")]
    [InlineData("train --momentum 1", "--momentum must be in [0, 1), got 1")]
    [InlineData("train --weight-decay -0.1", "--weight-decay must be a finite number ≥ 0, got -0.1")]
    [InlineData("train --patience 0", "--patience must be ≥ 1, got 0")]
    [InlineData("train --max-drops -1", "--max-drops must be ≥ 0, got -1")]
    [InlineData("train --final-drop-epochs -1", "--final-drop-epochs must be ≥ 0, got -1")]
    [InlineData("train --validation -1", "--validation must be ≥ 0, got -1")]
    [InlineData("train --workers -1", "--workers must be ≥ 0, got -1")]
    [InlineData("train --padding -1", "--padding must be ≥ 0, got -1")]
    [InlineData("train --rotate 200", "--rotate must be in [0, 180] degrees, got 200")]
    [InlineData("train --pca -0.5", "--pca must be a finite number ≥ 0, got -0.5")]
    [InlineData("train --limit -5", "--limit must be ≥ 0, got -5")]
    [InlineData("train --threads -1", "--threads must be ≥ 0 (0: one per core), got -1")]
    [InlineData("train --mean median", "--mean must be one of image, pixel, none, got 'median'")]
    [InlineData("train --optimizer rmsprop", "--optimizer must be one of sgd, adam, adamw, got 'rmsprop'")]
    [InlineData("train --schedule step", "--schedule must be one of plateau, cosine, got 'step'")]
    [InlineData("train --label-smoothing 1", "--label-smoothing must be in [0, 1)")]
    [InlineData("train --preset vgg", "--preset must be one of fashion, cifar, alexnet-small, alexnet, got 'vgg'")]
    [InlineData("summary --preset vgg", "--preset must be one of fashion, cifar, alexnet-small, alexnet, got 'vgg'")]
    [InlineData("train --device cuda:-1", "--device must be cpu, cuda or cuda:N with N ≥ 0, got cuda:-1")]
    [InlineData("train --device gpu", "--device must be cpu, cuda or cuda:N with N ≥ 0, got gpu")]
    [InlineData("evaluate --device cuda:x", "--device must be cpu, cuda or cuda:N with N ≥ 0, got cuda:x")]
    [InlineData("predict a.png --device cuda:", "--device must be cpu, cuda or cuda:N")]
    [InlineData("evaluate --split dev", "--split must be one of test, val, train, got 'dev'")]
    [InlineData("evaluate -b 0", "--batch-size must be ≥ 1, got 0")]
    [InlineData("predict a.png --top 0", "--top must be ≥ 1, got 0")]
    [InlineData("predict", "Required argument 'images' missing")]
    [InlineData("prepare -o out", "--data")]
    [InlineData("prepare --data d -o out --size 0", "--size must be in [1, 65535], got 0")]
    [InlineData("prepare --data d -o out --size 70000", "--size must be in [1, 65535], got 70000")]
    [InlineData("prepare --data d -o out --threads -2", "--threads must be ≥ 0")]
    [InlineData("train --no-such-option", "--no-such-option")]
    [InlineData("train extra", "'extra'")]
    [InlineData("train --data /nonexistent/images", "--data '/nonexistent/images' is neither 'fashion-mnist' nor an existing folder")]
    [InlineData("train --data /nonexistent/images --lr -1", "--lr must be a finite number > 0")]
    public void IsAnArgumentError(string line, params string[] fragments)
    {
        var args = line.Split(' ');
        if (args[0] == "train") args = [.. args, NoData];
        var r = Cli.Fails(2, args, fragments);
        Assert.Equal("", r.Output);
    }

    [Theory]
    [InlineData("foo", "unknown command 'foo'; the commands are train, evaluate, predict, summary, prepare")]
    [InlineData("trian --epochs 2", "unknown command 'trian'")]
    [InlineData("--foo", "unknown option '--foo'; start with a command: train, evaluate")]
    public void NamesAnUnknownCommand(string line, string fragment) => Cli.Fails(2, line.Split(' '), fragment, "(see alexnet --help)");

    [Fact]
    public void BareCommandShowsTheHelp()
    {
        var r = Cli.Run();
        Assert.Equal(0, r.Exit);
        Assert.Equal("", r.Error);
        foreach (var verb in new[] { "train", "evaluate", "predict", "summary", "prepare" }) Assert.Contains(verb, r.Output);
        Assert.Contains("Usage", r.Output);
    }
}
