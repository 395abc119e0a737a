using Microsoft.AspNetCore.Identity;

namespace VodConsole.Core.Data;

/// <summary>A person who signs in to the console.</summary>
public sealed class ConsoleUser : IdentityUser
{
    /// <summary>The account owner: created at first start, may enable sub-applications.</summary>
    public bool IsOwner { get; set; }

    /// <summary>Has the Admin role and every application in full, user management included. The owner always is.</summary>
    public bool IsAdministrator { get; set; }

    /// <summary>The role key ("admin" or an application ID) the user last worked in; "/" returns there.</summary>
    public string? LastRole { get; set; }

    public DateTime CreatedAt { get; set; }
}
