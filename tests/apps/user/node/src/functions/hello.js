// Example user code for a Node function-app component: a timer-triggered function living beside
// the generated ones (package.json `main` loads src/functions/*.js).
const { app } = require('@azure/functions');

app.timer('hello', {
  schedule: '0 0 * * * *', // hourly
  handler: async (timer, context) => {
    context.log('hello from user code', timer.isPastDue ? '(past due)' : '');
  },
});
