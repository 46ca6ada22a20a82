// The security page: once django-otp-webauthn's script has registered a key, show the page again
// with the key in its list.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
