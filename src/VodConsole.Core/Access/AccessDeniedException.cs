using VodConsole.Core.Common;

namespace VodConsole.Core.Access;

/// <summary>
/// The signed-in user may not make this change. A kind of <see cref="DomainRuleException"/>, so every page that shows
/// a refused rule shows this too (a tab still open after a grant was revoked), instead of failing the circuit.
/// </summary>
public sealed class AccessDeniedException(string message) : DomainRuleException(message);
