// Completes the OIDC sign-in started by Auth.signIn and goes back where the user was.
'use strict';

Auth.completeSignIn()
  .then((returnTo) => window.location.replace(returnTo))
  .catch((error) => {
    document.getElementById('status').textContent = error.message;
    document.getElementById('home').hidden = false;
  });
