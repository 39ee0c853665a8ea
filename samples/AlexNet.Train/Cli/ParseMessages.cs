using System.CommandLine;
using System.Text.RegularExpressions;

namespace AlexNet.Train.Cli;

/// <summary>Turns System.CommandLine's parse errors into one line in the command line's own words: an unknown command is
/// named with the list of commands, and a value of the wrong type says what was expected instead of a .NET type name.</summary>
internal static partial class ParseMessages
{
    /// <summary>The line to print for a parse result with errors (without the <c>error: </c> prefix).</summary>
    public static string Describe(ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        if (command == root)
        {
            var verbs = string.Join(", ", root.Subcommands.Select(c => c.Name));
            var first = parse.Tokens.Count > 0 ? parse.Tokens[0].Value : "";
            return first.StartsWith('-')
                ? $"unknown option '{first}'; start with a command: {verbs} (see alexnet --help)"
                : $"unknown command '{first}'; the commands are {verbs} (see alexnet --help)";
        }
        var error = parse.Errors[0];
        var symbol = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option.Name,
            _ => null,
        };
        return $"{Plain(error.Message, symbol)} (see alexnet {command.Name} --help)";
    }

    /// <summary>Replaces "as expected type 'System.Int32'" and its kin by what the option expects, and puts a list of
    /// accepted values on the one line.</summary>
    public static string Plain(string message, string? symbol)
    {
        var choice = Choice().Match(message);
        if (choice.Success)
        {
            var allowed = Quoted().Matches(choice.Groups["list"].Value).Select(m => m.Groups[1].Value);
            return $"{symbol ?? "the value"} must be one of {string.Join(", ", allowed)}, got '{choice.Groups["value"].Value}'.";
        }
        var typed = TypeError().Match(message);
        if (typed.Success)
            return $"{typed.Groups["symbol"].Value} expects {Expected(typed.Groups["type"].Value)}, got '{typed.Groups["value"].Value}'.";
        return message;
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "a whole number",
        "System.Single" or "System.Double" or "System.Nullable`1[System.Single]" or "System.Nullable`1[System.Double]" => "a number",
        "System.Boolean" => "true or false",
        _ => "another kind of value",
    };

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<list>.*)$", RegexOptions.Singleline)]
    private static partial Regex Choice();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|argument|command) '(?<symbol>[^']*)' as expected type '(?<type>[^']*)'\.?$")]
    private static partial Regex TypeError();
}
