namespace VodConsole.Core.Common;

/// <summary>A write touched a row of an application other than the one the context is isolated to. Nothing was saved.</summary>
public sealed class IsolationViolationException(string message) : Exception(message);
