//! Text of the pages only the server renders (Account, Users): kept out of
//! [`super::Texts`] so the browser bundle carries none of it.

/// The server-only page text of one language.
#[derive(Debug)]
pub struct ServerTexts {
    // Account page
    /// "Signed in as" before the username.
    pub signed_in_as: &'static str,
    /// Change password heading and button.
    pub change_password: &'static str,
    /// Current password label.
    pub current_password: &'static str,
    /// New password label.
    pub new_password: &'static str,
    /// Shown after the password changed.
    pub password_changed: &'static str,
    /// Sign out everywhere heading and button.
    pub sign_out_everywhere: &'static str,
    /// What signing out everywhere does.
    pub sign_out_everywhere_hint: &'static str,

    // Users page
    /// Title and sidebar link.
    pub users_title: &'static str,
    /// Column: account name.
    pub col_name: &'static str,
    /// Column: created.
    pub col_created: &'static str,
    /// Column: conversations.
    pub col_chats: &'static str,
    /// Column: what can be done.
    pub col_actions: &'static str,
    /// Marks the admin's own row.
    pub you: &'static str,
    /// Badge of a disabled account.
    pub disabled: &'static str,
    /// Button: disable.
    pub disable: &'static str,
    /// Button: enable.
    pub enable: &'static str,
    /// Button: make admin.
    pub make_admin: &'static str,
    /// Button: remove admin.
    pub remove_admin: &'static str,
    /// Button: set the typed password.
    pub reset_password: &'static str,
    /// Placeholder of the reset password field.
    pub reset_password_placeholder: &'static str,
    /// Button: delete the account.
    pub delete_account: &'static str,
    /// Checkbox that confirms a delete.
    pub delete_account_confirm: &'static str,
    /// Sign-up heading.
    pub signup_heading: &'static str,
    /// Sign-up is open.
    pub signup_is_open: &'static str,
    /// Sign-up is closed.
    pub signup_is_closed: &'static str,
    /// Button: open sign-up.
    pub open_signup: &'static str,
    /// Button: close sign-up.
    pub close_signup: &'static str,
    /// Invitations heading.
    pub invites_heading: &'static str,
    /// What an invitation is.
    pub invites_intro: &'static str,
    /// Button: new invitation.
    pub create_invite: &'static str,
    /// Button: withdraw an invitation.
    pub withdraw_invite: &'static str,
    /// Before an invitation's expiry.
    pub expires: &'static str,
    /// No invitations.
    pub no_invites: &'static str,
    /// Sign-up page, with an invitation.
    pub invited: &'static str,
}
