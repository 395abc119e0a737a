namespace VodConsole.Web.Components.Shared;

/// <summary>One choice of a <see cref="FilterSelect{T}"/>: its value (null for "no filter") and the text the list shows.</summary>
public sealed record FilterOption<T>(T? Value, string Text);
